"""`python -m mnemo` is the `mnemo` command."""

from mnemo.cli import main

main()
