"""The site's own behaviour, independent of the generator where possible: MkDocs glue is in hooks.py."""
