"""Measuring the stages, kept apart from run-time code: `eval verify` (`verify`, `blend`, `factcheck`),
`eval detect` (`detect`, `detect_robustness`, `attacks`), `eval retrieval` (`retrieval`), `eval linking`
(`linking`), and whole articles: the splice benchmark (`splices/`) and real-article controls (`controls`)."""
