"""The review report: what a pull request changes, in words a reader of the site can check.

`make review BASE=<ref>` (or `python -m chipsite.review --base REF`) checks the base out into a
temporary git worktree, builds both sides with their own code, and writes build/review/report.md
with before and after pictures of every chart that changed. One module per part of the report:

    git.py         the base's worktree and the refs
    build.py       one side's site, built with that side's own code
    side.py        one side read: its fact base (the project's loader) and where each fact is shown
    facts_diff.py  facts added, changed and removed; conflict groups joined and left
    sources_diff.py  sources added and changed, with the source policy's verdict on each host
    charts_diff.py   charts whose spec, data or picture changed; their rows added, removed, changed
    notebooks_diff.py  notebooks changed, diffed cell by cell (nbdime)
    pages_diff.py  pages whose rendered text changed, word by word; new links and anchors
    cautions.py    what a reviewer should weigh: relays, forecasts, typed numbers, unused facts...
    markdown.py    escaping: every text in the report comes from the pull request
    report.py      the Markdown report
    run.py         the steps in order; __main__.py the command line
"""
