"""`python -m tui` runs the meetdeck command line."""

from tui.cli import main

raise SystemExit(main())
