"""The benchmarks: `python -m bench` (bench/__main__.py) runs them, each figure beside its floor."""
