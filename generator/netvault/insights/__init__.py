"""Insights: pure derivations behind the goals, outreach, give-and-take, referrals and network
pages (DESIGN §1 and §5). Each module takes the model (and, where it needs them, the settings,
`today`, the follow-ups or the git history) and returns records in a deterministic order —
people by folded name, then path — without reading files, the clock or printing; each one
builds the indexes it needs once, so a vault of 30,000 contacts and 100,000 interactions is
never walked pair by pair.
"""
