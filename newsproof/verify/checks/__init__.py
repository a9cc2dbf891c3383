"""The run-time checks of a claim: structured KB checks (`structured`, `dated`, `events` and their helpers),
textual checks over retrieved evidence (`textual`: quotes, fact-check matches, entailment by a judge), and
`aggregate`, which combines their outcomes into one verdict per claim."""
