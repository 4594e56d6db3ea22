"""The estimate: pure functions over frozen records. No I/O, no YAML, no Jinja, no Plotly."""
