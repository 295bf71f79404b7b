"""`python -m policyengine` runs the command line."""

from .cli.main import entry_point

entry_point()
