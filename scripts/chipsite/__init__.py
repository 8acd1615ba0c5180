"""chipsite: the fact base, chart builders and site hooks behind the explainer."""
