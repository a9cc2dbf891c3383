"""Training the feature detector and its MiniLM window member (kept apart from the run-time detector).

`data` reads the human/machine JSONL sets, `stack` trains and compares the feature-stack candidates,
`windows` fine-tunes the window member (torch extra), `experiments` holds the leave-one-family-out study.
"""
