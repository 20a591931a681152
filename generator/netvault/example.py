"""A small, fictional network for `netvault init --example`.

The notes read like the vault of someone a year out of university, working as a
junior analyst at a freight company and trying to move into climate-tech data
work: friends and classmates, a professor, a former manager, a neighbour,
thought leaders they follow, prospects they hope to meet, and the informational
interviews that link them.

Every date is written as days from `today`, so the demo always looks current.
On any `today` it sets off, as overdue, at least one follow-up of each rule of
DESIGN §4, with the default settings:

- R1 explicit: `contacts/Greg Castellano.md` (`follow_up:` today-3) and
  `interactions/<today-12> Call with Beatriz Soto.md` (`follow_up:` today-2,
  nothing with Beatriz since).
- R2 task: `interactions/<today-6> Lunch with Sam.md` (a task due today-2).
- R3 thank-you: `interactions/<today-3> Informational interview with Kenji
  Watanabe.md` (no `thank_you`, its thank-you task unticked; due today-2).
- R4 keep in touch: `contacts/Maya Lindqvist.md` (circle inner, 30 days; last
  seen at `interactions/<today-40> Dinner with Maya.md`).
- R5 close the loop: `interactions/<today-10> Informational interview with Lena
  Hartmann.md` (Lena was referred by Professor Nwosu, last met at today-15).
- R6 new connection: `contacts/Noor Haddad.md` (`met:` today-10, nothing since).
- R7 new role: `contacts/Ines Carvalho.md` (imported from LinkedIn; a later
  import saw her move on at today-4, and nothing with her since).
- R8 reply: `interactions/<today-5> Message from Tomasz.md` (`direction: in`,
  nothing from you since; due today-3). And `interactions/<today-4> Emailed Marcus
  Adeyemi.md` (`direction: out`) leaves you waiting on Marcus: not a follow-up.

Others are due soon, and many loops are visibly closed, so the pages look lived in.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from . import yamlcore
from .records import record


@record
class Day:
    """A date written as days from today; negative is in the past."""

    offset: int


@record
class Spec:
    """One note to write: where, its front matter, and its body.

    `name` may hold a `{d-3}` date token (interactions, daily notes); so may
    the body and any text value.
    """

    folder: str
    name: str
    meta: dict[str, Any]
    body: str


_TOKEN = re.compile(r"\{d([+-]\d+|0)\}")


def _contact(name: str, meta: dict[str, Any], body: str = "") -> Spec:
    return Spec("contacts", name, meta, body)


def _interaction(day: int, title: str, meta: dict[str, Any], body: str = "") -> Spec:
    return Spec("interactions", f"{{d{day:+d}}} {title}", {"date": Day(day), **meta}, body)


def _org(name: str, meta: dict[str, Any], body: str = "") -> Spec:
    return Spec("orgs", name, meta, body)


def _goal(title: str, meta: dict[str, Any], body: str = "") -> Spec:
    return Spec("goals", title, meta, body)


def _daily(day: int, body: str) -> Spec:
    return Spec("daily", f"{{d{day:+d}}}", {}, body)


# ---------------------------------------------------------------------------
# The network

ORGS: tuple[Spec, ...] = (
    _org(
        "Northfield University",
        {
            "aliases": ["Northfield"],
            "website": "https://northfield.example.edu",
            "location": "Northfield",
            "industry": "Higher education",
            "tags": ["alma-mater"],
        },
        """
        Where I did my BSc in Environmental Data Science. Still the best door-opener
        I have: the alumni network is small but it answers emails.

        - Thesis advisor: [[Adaeze Nwosu]]
        - Alumni mentor: [[Ivo Marchetti]]
        - The careers office runs a careers fair and an alumni night every year.
        """,
    ),
    _org(
        "Verdant Grid",
        {
            "website": "https://verdantgrid.example",
            "location": "Harbour District",
            "industry": "Climate tech: grid-scale batteries",
            "tags": ["climate-tech", "target"],
        },
        """
        Builds forecasting and dispatch software for grid batteries. About 120 people;
        the data team sits between forecasting and the trading desk.

        > [!info] Hiring
        > Analyst roles open in two waves, January and June (from [[Lena Hartmann]]).

        | person | role | status |
        |---|---|---|
        | [[Lena Hartmann]] | Senior Data Scientist | met |
        | [[Kenji Watanabe]] | Analytics Engineer | met |
        | [[Beatriz Soto]] | Technical Recruiter | in touch |
        | [[Olivia Brandt]] | Head of Data | want to meet |
        """,
    ),
    _org(
        "Halden Freight",
        {
            "website": "https://haldenfreight.example",
            "location": "Eastport",
            "industry": "Logistics",
            "tags": ["employer"],
        },
        """
        Where I work now, as a junior data analyst on the routing team. Good people,
        good data, wrong industry for me in the long run.
        """,
    ),
    _org(
        "Open Transit Collective",
        {
            "aliases": ["OTC"],
            "website": "https://opentransit.example",
            "industry": "Civic tech (non-profit)",
            "tags": ["civic-tech", "transit", "target"],
        },
        """
        A non-profit that publishes open bus and tram data and builds tools for riders.
        Monthly hack nights, open to anyone. [[Jonah Feld]] works here.
        """,
    ),
)

GOALS: tuple[Spec, ...] = (
    _goal(
        "Land a data role in climate tech",
        {
            "status": "active",
            "targets": ["[[Verdant Grid]]"],
            "roles": ["Data analyst", "Forecasting data scientist", "Analytics engineer"],
            "fields": ["Energy storage", "Grid operations"],
            "tags": ["goal", "job-search"],
        },
        """
        Freight routing taught me forecasting under messy constraints; I want to point
        that at the grid. Aim: a first climate-tech data role within a year.

        ## Where I stand

        | organisation | who I know | next step |
        |---|---|---|
        | [[Verdant Grid]] | [[Lena Hartmann]], [[Kenji Watanabe]] | meet [[Olivia Brandt]] |
        | Tidewater Energy Cooperative | [[Daniel Mensah]], [[Rosa Delgado]] | the interview |
        | Sunfield Microgrids | [[Noor Haddad]] | follow up after the meetup |

        ## Skills to show

        - Time-series forecasting with honest uncertainty #skills
        - SQL and dbt (Kenji says this matters more than I think)

        ## Next steps

        - [ ] Finish the battery-degradation side project and write it up [due:: {d+20}]
        - [x] Rewrite my CV around forecasting, not freight ✅ {d-31}
        """,
    ),
    _goal(
        "Explore transit data work",
        {
            "status": "exploring",
            "targets": ["[[Open Transit Collective]]"],
            "roles": ["Data engineer", "Product analyst"],
            "fields": ["Public transport", "Civic tech"],
            "tags": ["goal"],
        },
        """
        A second track, in case climate tech takes longer: transit data is close to what
        I do at [[Halden Freight]] and the people are lovely.

        - Talk to people who build rider-facing tools ([[Ana Ferreira]], [[Marcus Adeyemi]])
        - Keep going to the hack nights with [[Jonah Feld]]
        - Listen to [[Rafael Ostrowski]]'s podcast backlog
        """,
    ),
)

CONTACTS: tuple[Spec, ...] = (
    # -- the natural network: friends, classmates, a professor, colleagues, a neighbour
    _contact(
        "Maya Lindqvist",
        {
            "aliases": ["Maya"],
            "org": "Riverside Children's Hospital",
            "role": "Paediatric nurse",
            "location": "Riverside",
            "tags": ["friend", "northfield"],
            "circle": "inner",
            "how_met": "Roommates in second year at Northfield",
            "birthday": "March 14",
        },
        """
        My second-year roommate. Not in data at all, which is exactly why she is the
        best person to tell me when a cover letter sounds like a robot wrote it.

        - Started night shifts on the neonatal ward: text before calling.
        """,
    ),
    _contact(
        "Jonah Feld",
        {
            "org": "[[Open Transit Collective]]",
            "role": "GIS Analyst",
            "email": "jonah.feld@opentransit.example",
            "tags": ["friend", "northfield", "transit"],
            "circle": "inner",
            "how_met": "Statistics study group at Northfield",
            "offers": ["Introductions at Open Transit Collective", "Brutally honest map critique"],
            "asks": ["Someone to test his rider-survey dashboard"],
        },
        """
        Study-group friend, now making maps for [[Open Transit Collective]]. Introduced me
        to [[Ana Ferreira]], who introduced me to [[Marcus Adeyemi]].
        """,
    ),
    _contact(
        "Priya Raman",
        {
            "org": "Brightline Analytics",
            "role": "Junior Data Scientist",
            "tags": ["friend", "northfield"],
            "circle": "close",
            "how_met": "Capstone project partner",
            "interests": ["Kaggle competitions", "climbing"],
            "offers": ["Usability testing of any dashboard or survey"],
            "asks": ["A forecasting mentor"],
        },
        """
        We built the capstone flood model together. She talks me into competitions; I talk
        her into meetups.
        """,
    ),
    _contact(
        "Tomasz Wróbel",
        {
            "org": "Kestrel Insurance",
            "role": "Actuarial Analyst",
            "tags": ["northfield"],
            "circle": "network",
            "how_met": "Statistics study group at Northfield",
        },
        "Quiet, very good at survival analysis. Knows the insurance side of climate risk.\n",
    ),
    _contact(
        "陈思远",
        {
            "aliases": ["Siyuan Chen", "Chen Siyuan", "Siyuan"],
            "org": "Huadong Urban Mobility Lab",
            "role": "Master's student in transport planning",
            "location": "Shanghai",
            "tags": ["northfield", "transit"],
            "circle": "casual",
            "how_met": "Exchange student in my spatial statistics seminar",
        },
        """
        Siyuan spent a year at Northfield on exchange. Her thesis is on bus bunching, the
        same problem [[Open Transit Collective]] keeps poking at; worth connecting her
        with [[Jonah Feld]] some day.
        """,
    ),
    _contact(
        "Callum Reid",
        {
            "role": "Software engineer",
            "tags": ["northfield", "hackathon"],
            "circle": "acquaintance",
            "status": "dormant",
            "how_met": "Teammate at the Northfield DataFest hackathon",
            "last_contact": Day(-200),
            "follow_up": Day(-90),
            "follow_up_note": "Return his hackathon hoodie",
            "follow_up_done": True,
        },
        "Lost touch after he moved abroad. The hoodie went back by post, finally.\n",
    ),
    _contact(
        "Adaeze Nwosu",
        {
            "aliases": ["Professor Nwosu", "Dr. Nwosu"],
            "org": "[[Northfield University]]",
            "role": "Associate Professor of Environmental Statistics",
            "email": "a.nwosu@northfield.example.edu",
            "tags": ["mentor", "northfield", "academia"],
            "circle": "active",
            "status": "active",
            "how_met": "Thesis advisor for my senior project on river-gauge forecasting",
            "interests": ["hydrology", "energy systems", "Bayesian forecasting"],
        },
        """
        Supervised my thesis and still answers my emails within a day. Keeps a mental map of
        where all her former students ended up; she pointed me to [[Lena Hartmann]].

        > [!tip] Office hours
        > Thursdays 2–4 pm, and she prefers a short agenda sent the day before.
        """,
    ),
    _contact(
        "Greg Castellano",
        {
            "org": "Marlow County Water District",
            "role": "Operations Analytics Manager",
            "email": "gcastellano@marlowwater.example",
            "tags": ["former-manager", "water"],
            "circle": "active",
            "how_met": "My manager during the summer internship at the water district",
            "follow_up": Day(-3),
            "follow_up_note": "Send him the write-up of the flood-gauge dashboard he asked about",
        },
        """
        Best manager I have had. Taught me to write the one-paragraph summary before the
        analysis. Introduced me to [[Daniel Mensah]] at Tidewater.
        """,
    ),
    _contact(
        "Ruth Abernathy",
        {
            "role": "Retired civil engineer",
            "location": "Two doors down on Alder Street",
            "tags": ["neighbour"],
            "circle": "casual",
            "how_met": "Neighbour; we share a hedge and strong opinions about the 14 bus",
            "offers": ["Knows half the engineers in the county"],
        },
        """
        Spent thirty years designing culverts for the county. Her nephew
        [[Eli Abernathy]] works at Tidewater Energy Cooperative.
        """,
    ),
    _contact(
        "Sam Whitaker",
        {
            "org": "[[Halden Freight]]",
            "role": "Data Analyst",
            "tags": ["colleague"],
            "circle": "active",
            "how_met": "Sits across from me at Halden; we share the routing dashboards",
        },
        "Knows every warehouse's quirks. Trading: I help with Python, he helps with SQL.\n",
    ),
    _contact(
        "Leona Petrakis",
        {
            "org": "[[Halden Freight]]",
            "role": "Head of Analytics",
            "tags": ["colleague", "mentor"],
            "circle": "active",
            "how_met": "My manager at Halden Freight",
            "snooze_until": Day(12),
        },
        """
        On parental leave; snoozed until she is back. She knows I am looking around and
        was generous about it.
        """,
    ),
    _contact(
        "Ivo Marchetti",
        {
            "org": "Cobalt Weather Analytics",
            "role": "Principal Data Scientist",
            "tags": ["mentor", "northfield"],
            "circle": "active",
            "cadence": "1m",
            "met": Day(-158),
            "how_met": "Northfield alumni career night; now my mentor through the alumni programme",
        },
        """
        Monthly video calls. He moved from logistics into weather forecasting, which is
        the move I am trying to make, one field over.
        """,
    ),
    # -- informational interviews and the referral chains they started
    _contact(
        "Lena Hartmann",
        {
            "org": "[[Verdant Grid]]",
            "role": "Senior Data Scientist, Forecasting",
            "email": "lena@verdantgrid.example",
            "tags": ["climate-tech"],
            "circle": "network",
            "status": "active",
            "how_met": "Professor Nwosu's former student; she introduced us by email",
            "referred_by": "[[Adaeze Nwosu]]",
            "interests": ["probabilistic forecasting", "cycling"],
            "offers": ["Mentoring juniors in forecasting"],
        },
        "Runs the day-ahead price forecasts. Warm, direct, and allergic to buzzwords.\n",
    ),
    _contact(
        "Kenji Watanabe",
        {
            "org": "[[Verdant Grid]]",
            "role": "Analytics Engineer",
            "tags": ["climate-tech"],
            "status": "active",
            "how_met": "Lena suggested I ask him about the data platform side",
            "referred_by": "[[Lena Hartmann]]",
        },
        "Owns the dbt project at Verdant Grid. Came into data from civil engineering.\n",
    ),
    _contact(
        "Olivia Brandt",
        {
            "org": "[[Verdant Grid]]",
            "role": "Head of Data",
            "tags": ["climate-tech", "hiring-manager"],
            "status": "prospect",
            "intro_via": "[[Lena Hartmann]]",
        },
        """
        Decides on the analyst hires. Not a cold email: ask [[Lena Hartmann]] whether
        she would be comfortable introducing us, once I have the side project to show.
        """,
    ),
    _contact(
        "Beatriz Soto",
        {
            "org": "[[Verdant Grid]]",
            "role": "Technical Recruiter",
            "tags": ["recruiter", "climate-tech"],
            "status": "contacted",
            "how_met": "She messaged me on LinkedIn after my post about the flood-gauge dashboard",
            "linkedin": "https://www.linkedin.com/in/beatriz-soto-example",
        },
    ),
    _contact(
        "Ana Ferreira",
        {
            "org": "[[Open Transit Collective]]",
            "role": "Product Manager, Rider Data",
            "tags": ["transit", "civic-tech"],
            "circle": "network",
            "status": "active",
            "how_met": "Jonah's colleague; informational interview",
            "referred_by": "[[Jonah Feld]]",
        },
    ),
    _contact(
        "Marcus Adeyemi",
        {
            "org": "[[Open Transit Collective]]",
            "role": "Data Engineer",
            "tags": ["transit"],
            "status": "contacted",
            "how_met": "Ana suggested him; emailed",
            "referred_by": "[[Ana Ferreira]]",
        },
        "Rebuilt the real-time feed pipeline last year. Ana says he loves a data-quality story.\n",
    ),
    _contact(
        "Daniel Mensah",
        {
            "org": "Tidewater Energy Cooperative",
            "role": "Grid Data Lead",
            "tags": ["climate-tech", "energy"],
            "circle": "network",
            "status": "active",
            "how_met": "Greg introduced us by email",
            "referred_by": "[[Greg Castellano]]",
        },
        "Used to work with Greg at the water district before moving to the cooperative.\n",
    ),
    _contact(
        "Rosa Delgado",
        {
            "org": "Tidewater Energy Cooperative",
            "role": "Analytics Manager",
            "tags": ["climate-tech", "hiring-manager"],
            "status": "contacted",
            "how_met": "Hiring manager for the analyst role Daniel told me about",
            "referred_by": "[[Daniel Mensah]]",
        },
    ),
    # -- imported from LinkedIn; a later import saw her change jobs
    _contact(
        "Ines Carvalho",
        {
            "linkedin": "https://www.linkedin.com/in/ines-carvalho-example",
            "org": "Verdant Grid",
            "role": "Senior Data Engineer",
            "met": Day(-420),
            "source": "linkedin",
            "linkedin_role": {"org": "Verdant Grid", "role": "Senior Data Engineer"},
            "previous": [
                {"org": "Harbourline Ports", "role": "Data Engineer", "until": Day(-4)},
            ],
        },
    ),
    # -- people met recently
    _contact(
        "Noor Haddad",
        {
            "org": "Sunfield Microgrids",
            "role": "Energy Data Analyst",
            "tags": ["climate-tech", "meetup"],
            "met": Day(-10),
            "how_met": "Climate Data Meetup: we argued happily about battery degradation curves",
        },
        """
        Works on microgrid sizing for schools. Offered to share their public degradation
        dataset; I said I would send her my notebook on cycle ageing.
        """,
    ),
    _contact(
        "Felix Amara",
        {
            "org": "[[Open Transit Collective]]",
            "role": "Volunteer developer (day job: backend engineer)",
            "tags": ["transit", "meetup"],
            "met": Day(-5),
            "how_met": "Open Transit Collective hack night; we paired on the bus-bunching notebook",
        },
    ),
    _contact(
        "Grace Oyelaran",
        {
            "org": "Harbourline Ports",
            "role": "Logistics Data Scientist",
            "tags": ["logistics"],
            "circle": "casual",
            "met": Day(-22),
            "how_met": "Northfield careers fair, at the Harbourline table",
        },
    ),
    # -- thought leaders: followed, never nagged
    _contact(
        "Imani Clarke",
        {
            "role": "Writes The Load Curve, a newsletter on grid data",
            "website": "https://loadcurve.example",
            "tags": ["thought-leader", "climate-tech"],
            "circle": "follow",
        },
        "The clearest writing I know on how grid operators actually use forecasts.\n",
    ),
    _contact(
        "Rafael Ostrowski",
        {
            "role": "Host of the Open Streets Data podcast",
            "tags": ["thought-leader", "transit"],
            "circle": "follow",
        },
    ),
    _contact(
        "Hanne Bjørklund",
        {
            "role": "Energy systems researcher; author of Forecasting the Grid",
            "tags": ["thought-leader", "energy"],
            "circle": "follow",
        },
        "Her chapter on probabilistic load forecasting is the one Verdant Grid people quote.\n",
    ),
    # -- prospects
    _contact(
        "Eli Abernathy",
        {
            "org": "Tidewater Energy Cooperative",
            "role": "Field Operations Engineer",
            "tags": ["energy"],
            "status": "prospect",
            "intro_via": "[[Ruth Abernathy]]",
            "follow_up": Day(6),
            "follow_up_note": "Ask Ruth whether Eli is back from the substation project",
        },
        "Ruth's nephew. Would know how the field teams use (or ignore) the data team's work.\n",
    ),
)

INTERACTIONS: tuple[Spec, ...] = (
    _interaction(
        -158,
        "Northfield alumni career night",
        {
            "type": "event",
            "with": ["[[Adaeze Nwosu]]", "[[Tomasz Wróbel]]", "[[Ivo Marchetti]]"],
            "org": "[[Northfield University]]",
            "tags": ["alumni"],
        },
        """
        Went with Tomasz. Professor Nwosu introduced me to [[Ivo Marchetti]], who moved
        from logistics into weather forecasting and offered to mentor me through the
        alumni programme.
        """,
    ),
    _interaction(
        -148,
        "Farewell coffee with Siyuan",
        {"type": "coffee", "with": ["[[陈思远]]"]},
        "Last coffee before she flew home. Promised to send each other papers on bus bunching.\n",
    ),
    _interaction(
        -140,
        "First mentoring call with Ivo",
        {"type": "video", "with": ["[[Ivo Marchetti]]"], "tags": ["mentoring"]},
        """
        ## Notes

        - He made the jump by doing one public project in the new field, then talking
          about it to anyone who would listen.
        - Suggested I keep a list of 50 people before I think about applying anywhere.

        ## Next step

        - [x] Start the list (this vault!) ✅ {d-139}
        """,
    ),
    _interaction(
        -132,
        "Career check-in with Leona",
        {"type": "meeting", "with": ["[[Leona Petrakis]]"], "org": "[[Halden Freight]]"},
        "Told her I am curious about energy. She thinks the forecasting work here will travel.\n",
    ),
    _interaction(
        -125,
        "Catch-up call with Greg",
        {"type": "call", "with": ["[[Greg Castellano]]"]},
        "The flood-gauge dashboard from my internship is still in use. He wants a write-up.\n",
    ),
    _interaction(
        -118,
        "Coffee with Priya and Jonah",
        {"type": "coffee", "with": ["[[Priya Raman]]", "[[Jonah Feld]]"]},
        "First time all three of us were free since graduation. Jonah pitched the hack nights.\n",
    ),
    _interaction(
        -110,
        "Mentoring call with Ivo",
        {"type": "video", "with": ["[[Ivo Marchetti]]"], "tags": ["mentoring"]},
        "Went through my CV line by line. Lead with forecasting, not freight.\n",
    ),
    _interaction(
        -104,
        "Office hours with Professor Nwosu",
        {
            "type": "meeting",
            "with": ["[[Adaeze Nwosu]]"],
            "gave": ["Cleaned-up thesis code for her new students"],
        },
        """
        Asked about energy forecasting. She lent me [[Hanne Bjørklund]]'s book and said to
        come back once I had read it.
        """,
    ),
    _interaction(
        -97,
        "Housewarming at Maya's",
        {"type": "dinner", "with": ["[[Maya Lindqvist]]", "[[Priya Raman]]"]},
        "Her new flat, too many people, no talk about jobs. #friends\n",
    ),
    _interaction(
        -85,
        "Study group reunion thread",
        {
            "type": "message",
            "with": ["[[Tomasz Wróbel]]", "[[Priya Raman]]", "[[Jonah Feld]]"],
        },
        "Tomasz resurfaced with a survival-analysis question. Promised a proper call soon.\n",
    ),
    _interaction(
        -80,
        "Mentoring call with Ivo",
        {"type": "video", "with": ["[[Ivo Marchetti]]"], "tags": ["mentoring"]},
        "Talked about informational interviews: ask for advice, never for a job.\n",
    ),
    _interaction(
        -76,
        "First Open Transit Collective hack night",
        {
            "type": "event",
            "with": ["[[Jonah Feld]]"],
            "org": "[[Open Transit Collective]]",
            "gave": ["Fixed the timezone bug in their arrivals notebook"],
        },
        "Thirty people, pizza, one projector. Fixed a timezone bug and felt useful. #transit\n",
    ),
    _interaction(
        -70,
        "Video call with Siyuan",
        {"type": "video", "with": ["[[陈思远]]"]},
        "She sent her draft chapter on headway control; I sent the OTC arrivals dataset.\n",
    ),
    _interaction(
        -65,
        "Lunch with Leona before her leave",
        {"type": "meeting", "with": ["[[Leona Petrakis]]"]},
        "She offered to be a reference whenever I need one. Back in about eleven weeks.\n",
    ),
    _interaction(
        -58,
        "Coffee with Greg",
        {"type": "coffee", "with": ["[[Greg Castellano]]"], "thank_you": True},
        """
        Told him about the climate-tech plan. He knows [[Daniel Mensah]] from the water
        district and offered to introduce us.

        - [x] Send Greg my two-line blurb for the intro ✅ {d-57}
        """,
    ),
    _interaction(
        -56,
        "Mentoring call with Ivo",
        {"type": "video", "with": ["[[Ivo Marchetti]]"], "tags": ["mentoring"]},
        "Practised my two-minute story. Too long; cut the freight part in half.\n",
    ),
    _interaction(
        -53,
        "Greg introduces Daniel Mensah",
        {
            "type": "intro",
            "with": ["[[Greg Castellano]]", "[[Daniel Mensah]]"],
            "thank_you": True,
        },
        "Email intro from Greg. Daniel replied within the hour with three possible times.\n",
    ),
    _interaction(
        -45,
        "Informational interview with Daniel Mensah",
        {
            "type": "informational-interview",
            "with": ["[[Daniel Mensah]]"],
            "org": "Tidewater Energy Cooperative",
            "referred_by": "[[Greg Castellano]]",
            "thank_you": Day(-44),
            "air": [
                "Advice: show one forecasting project end to end, with the ugly data left in",
                "Information: the cooperative publishes 15-minute load data for every feeder",
                "Referral: [[Rosa Delgado]], who is hiring an analyst",
            ],
            "referrals": ["[[Rosa Delgado]]"],
            "gave": ["Pointed him to the county's open flood-gauge feed"],
            "tags": ["job-search"],
        },
        """
        ## Notes

        Thirty minutes on a video call. The cooperative is small enough that analysts talk
        to the control room every day.[^feeds]

        ## What I learned

        Utilities care about explainable forecasts more than clever ones.

        ## Next step

        - [x] Apply for the analyst role on Rosa's team ✅ {d-31}

        [^feeds]: Older files have gaps at every daylight-saving change; he warned me twice.
        """,
    ),
    _interaction(
        -40,
        "Dinner with Maya",
        {"type": "dinner", "with": ["[[Maya Lindqvist]]"]},
        "She is thinking of moving cities next year. We should not leave it this long again.\n",
    ),
    _interaction(
        -36,
        "Data guild talk on route clustering",
        {
            "type": "event",
            "with": ["[[Sam Whitaker]]"],
            "org": "[[Halden Freight]]",
            "gave": ["A 20-minute talk and the notebook behind it"],
        },
        "Sam co-presented. Good questions about uncertainty from the operations folks.\n",
    ),
    _interaction(
        -33,
        "Sent Professor Nwosu my portfolio draft",
        {"type": "email", "with": ["[[Adaeze Nwosu]]"]},
        "Asked for honest feedback on the forecasting write-up. She sent back eleven comments.\n",
    ),
    _interaction(
        -30,
        "Told Daniel I applied to Tidewater",
        {"type": "email", "with": ["[[Daniel Mensah]]"]},
        "Thanked him again and said I had applied. He said he would mention it to Rosa.\n",
    ),
    _interaction(
        -28,
        "Told Greg how things went with Daniel",
        {"type": "email", "with": ["[[Greg Castellano]]"]},
        """
        Closed the loop: the chat was great and I have applied. Greg asked again for the
        flood-gauge write-up; I promised it soon.
        """,
    ),
    _interaction(
        -26,
        "Mentoring call with Ivo",
        {"type": "video", "with": ["[[Ivo Marchetti]]"], "tags": ["mentoring"]},
        "Mock interview. Ivo says to stop apologising for the freight job.\n",
    ),
    _interaction(
        -25,
        "Informational interview with Ana Ferreira",
        {
            "type": "informational-interview",
            "with": ["[[Ana Ferreira]]"],
            "org": "[[Open Transit Collective]]",
            "referred_by": "[[Jonah Feld]]",
            "thank_you": Day(-24),
            "follow_up": Day(5),
            "air": [
                "Advice: product analysts there are judged on questions asked, not models built",
                "Information: a data role should be posted next month, funded by a city grant",
                "Referral: [[Marcus Adeyemi]] for the data engineering side",
            ],
            "referrals": ["[[Marcus Adeyemi]]"],
            "gave": ["My notes on cleaning GTFS real-time feeds"],
            "tags": ["job-search", "transit"],
        },
        """
        > [!tip] Ana's advice
        > Bring one rider question you answered with data, not a list of tools.

        ## Next step

        Check whether the grant-funded role has been posted, and ask her about it.
        """,
    ),
    _interaction(
        -24,
        "Coffee with Priya",
        {"type": "coffee", "with": ["[[Priya Raman]]"], "follow_up": Day(-17)},
        "She is putting a team together for the energy-forecasting competition. I am in.\n",
    ),
    _interaction(
        -22,
        "Northfield careers fair",
        {"type": "event", "with": ["[[Grace Oyelaran]]"], "org": "[[Northfield University]]"},
        "Went back as an alum. Grace at the Harbourline table was the most useful conversation.\n",
    ),
    _interaction(
        -20,
        "Coffee with Professor Nwosu",
        {
            "type": "coffee",
            "with": ["[[Adaeze Nwosu]]"],
            "thank_you": True,
            "referrals": ["[[Lena Hartmann]]"],
        },
        """
        Talked through the portfolio comments. She thinks her former student
        [[Lena Hartmann]] at [[Verdant Grid]] is exactly who I should talk to, and will
        write the intro herself.
        """,
    ),
    _interaction(
        -19,
        "Followed up with Grace after the careers fair",
        {"type": "email", "with": ["[[Grace Oyelaran]]"]},
        "Sent the article on port congestion forecasting we talked about.\n",
    ),
    _interaction(
        -18,
        "Called Jonah about the chat with Ana",
        {"type": "call", "with": ["[[Jonah Feld]]"]},
        "Told him how the conversation with Ana went and thanked him for the intro.\n",
    ),
    _interaction(
        -15,
        "Professor Nwosu introduces Lena Hartmann",
        {
            "type": "intro",
            "with": ["[[Adaeze Nwosu]]", "[[Lena Hartmann]]"],
            "thank_you": True,
        },
        "A kind, short email intro. Lena suggested a video call next week.\n",
    ),
    _interaction(
        -12,
        "Call with Beatriz Soto",
        {
            "type": "call",
            "with": ["[[Beatriz Soto]]"],
            "org": "[[Verdant Grid]]",
            "follow_up": Day(-2),
            "tags": ["job-search"],
        },
        """
        Screening-style chat, friendly. A junior analyst opening is waiting on budget
        approval; she asked me to check back in ten days.
        """,
    ),
    _interaction(
        -10,
        "Informational interview with Lena Hartmann",
        {
            "type": "informational-interview",
            "with": ["[[Lena Hartmann]]"],
            "org": "[[Verdant Grid]]",
            "thank_you": Day(-9),
            "air": [
                "Advice: publish the battery-degradation project, even unfinished",
                "Information: analyst hiring happens in January and June; Olivia decides",
                "Referral: [[Kenji Watanabe]] about the data platform",
                "Referral: [[Olivia Brandt]], later, once there is something to show",
            ],
            "referrals": ["[[Kenji Watanabe]]", "[[Olivia Brandt]]"],
            "gave": ["The Northfield alumni mentoring link, for her intern"],
            "tags": ["job-search", "climate-tech"],
        },
        """
        ## Notes

        Twenty-five minutes, camera on, she had read my portfolio. #informational-interview

        | topic | what she said |
        |---|---|
        | the work | day-ahead price forecasts, retrained nightly |
        | the team | six data scientists, two analytics engineers |
        | the stack | Python, dbt, a lot of SQL |

        ## What I learned

        The hard part is not the model but knowing when the data feed is lying.

        ## Next step

        - [x] Send Lena a thank-you note ✅ {d-9}
        - [ ] Ask Lena whether she would introduce me to [[Olivia Brandt]] [due:: {d+4}]
        """,
    ),
    _interaction(
        -10,
        "Climate Data Meetup, grid storage night",
        {"type": "event", "with": ["[[Priya Raman]]"], "tags": ["meetup", "climate-tech"]},
        """
        Priya came along. Two talks on battery dispatch, then drinks. Met [[Noor Haddad]]
        from Sunfield Microgrids; promised to send her my cycle-ageing notebook.
        """,
    ),
    _interaction(
        -8,
        "Replied to Imani Clarke's newsletter",
        {"type": "email", "with": ["[[Imani Clarke]]"]},
        "Sent a short note on her forecast-error issue. Not expecting a reply; it felt good.\n",
    ),
    _interaction(
        -6,
        "Lunch with Sam",
        {"type": "lunch", "with": ["[[Sam Whitaker]]"], "org": "[[Halden Freight]]"},
        """
        He wants to reuse my route-clustering approach for the new depot.

        - [ ] Send Sam the route-clustering notebook 📅 {d-2}
        - [x] Book the room for next month's data guild ✅ {d-6}
        """,
    ),
    _interaction(
        -6,
        "Interview at Tidewater Energy Cooperative",
        {
            "type": "interview",
            "with": ["[[Rosa Delgado]]"],
            "org": "Tidewater Energy Cooperative",
            "thank_you": Day(-5),
            "tags": ["job-search"],
        },
        """
        First-round interview with Rosa and one of her analysts. A take-home on feeder load
        data might follow. Need to tell [[Daniel Mensah]] how it went.
        """,
    ),
    _interaction(
        -5,
        "Open Transit Collective hack night",
        {"type": "event", "with": ["[[Jonah Feld]]"], "org": "[[Open Transit Collective]]"},
        """
        Paired with [[Felix Amara]] on the bus-bunching notebook; he writes beautiful tests.
        Jonah says the data role Ana mentioned is nearly ready to post.
        """,
    ),
    _interaction(
        -5,
        "Message from Tomasz",
        {"type": "message", "direction": "in", "with": ["[[Tomasz Wróbel]]"]},
        """
        Tomasz wrote again about the survival-analysis model for his churn project: could
        we do the call next week, and do I still have the lifelines notebook?
        """,
    ),
    _interaction(
        -4,
        "Emailed Marcus Adeyemi",
        {
            "type": "email",
            "direction": "out",
            "with": ["[[Marcus Adeyemi]]"],
            "gave": ["A link to my GTFS cleaning notes"],
        },
        "Mentioned Ana, asked for 20 minutes about the real-time pipeline. No answer yet.\n",
    ),
    _interaction(
        -3,
        "Informational interview with Kenji Watanabe",
        {
            "type": "informational-interview",
            "with": ["[[Kenji Watanabe]]"],
            "org": "[[Verdant Grid]]",
            "air": [
                "Advice: learn dbt properly; it is half the job",
                "Information: analytics engineers there pair with the trading desk weekly",
            ],
            "gave": ["The water district's public data dictionary, which he wanted"],
            "tags": ["job-search", "climate-tech"],
        },
        """
        ## Notes

        He came into data from civil engineering, so he gets the freight detour. Showed me
        how their models are tested before anyone is allowed to trust them.

        > [!question] Ask next time
        > How do they decide what becomes a dbt model and what stays a notebook?

        ## Thank-you sent

        - [ ] Send Kenji a thank-you note 📅 {d-2}
        """,
    ),
)

DAILY: tuple[Spec, ...] = (
    _daily(
        -14,
        """
        Read [[Imani Clarke]]'s issue on why grid forecasts fail at dusk. Saved the chart for
        the side project. #reading

        Added [[Olivia Brandt]] to the outreach list, and [[Hanne Bjørklund]]'s new paper to
        the reading pile.
        """,
    ),
    _daily(
        -6,
        """
        Interview at Tidewater this morning. On the way home [[Ruth Abernathy]] asked how it
        went over the hedge; turns out her nephew [[Eli Abernathy]] works there, in field
        operations. She will ask him if he would talk to me.
        """,
    ),
    _daily(
        -3,
        """
        [[Jonah Feld]] sent a photo of the new real-time sign at the 14 bus stop, built on
        their feed. [[Priya Raman]] sent the competition invite.

        - [ ] Reply to [[Priya Raman]] with a team name 📅 {d+1}
        """,
    ),
    _daily(
        -1,
        """
        Planning the week.

        - [ ] Draft the cover letter for the Verdant Grid analyst opening 📅 {d+3}
        - [ ] Review the outreach list 🔁 every month 📅 {d+6}
        - [x] Sent [[Marcus Adeyemi]] a time for next week ✅ {d-1}
        """,
    ),
)

SPECS: tuple[Spec, ...] = ORGS + GOALS + CONTACTS + INTERACTIONS + DAILY


# ---------------------------------------------------------------------------
# Rendering


def _dates(text: str, today: date) -> str:
    """Replace every `{d-3}` token with the ISO date that many days from today."""
    return _TOKEN.sub(lambda m: (today + timedelta(days=int(m[1]))).isoformat(), text)


def _scalar(value: Any, today: date) -> str:
    """One YAML scalar, quoted only where plain text would read back differently."""
    if isinstance(value, Day):
        return (today + timedelta(days=value.offset)).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = _dates(str(value), today)
    try:
        plain_ok = yamlcore.load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and text == text.strip() else json.dumps(text, ensure_ascii=False)


def _front_matter(meta: dict[str, Any], today: date) -> str:
    lines: list[str] = []
    for key, value in meta.items():
        if isinstance(value, list | tuple):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):  # a list of mappings: `previous:` roles
                    first, *rest = _mapping(item, today)
                    lines += [f"  - {first}", *(f"    {line}" for line in rest)]
                else:
                    lines.append(f"  - {_scalar(item, today)}")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {line}" for line in _mapping(value, today)]
        else:
            lines.append(f"{key}: {_scalar(value, today)}")
    return "\n".join(lines)


def _mapping(value: dict[str, Any], today: date) -> list[str]:
    """A mapping of scalars as `key: value` lines."""
    return [f"{key}: {_scalar(item, today)}" for key, item in value.items()]


def render(spec: Spec, today: date) -> tuple[str, str]:
    """The vault-relative path and the text of one note, as of `today`."""
    path = f"{spec.folder}/{_dates(spec.name, today)}.md"
    body = _dates(textwrap.dedent(spec.body).strip("\n"), today)
    if spec.meta:
        head = f"---\n{_front_matter(spec.meta, today)}\n---\n"
        text = f"{head}\n{body}\n" if body else head
    else:
        text = f"{body}\n"
    return path, text


def write_example(vault: Path, today: date) -> list[Path]:
    """Write the example network into the existing folder `vault`; return the files, sorted.

    Dates are placed relative to `today`. Nothing is overwritten: if any of the
    files exists already, FileExistsError names it and nothing is written.
    """
    if not vault.is_dir():
        raise NotADirectoryError(f"{vault} is not a folder")
    notes = sorted(render(spec, today) for spec in SPECS)
    paths = [vault / rel for rel, _text in notes]
    for path in paths:
        if path.exists() or path.is_symlink():
            raise FileExistsError(f"{path} exists already; the example never overwrites a file")
    for path, (_rel, text) in zip(paths, notes, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return sorted(paths)
