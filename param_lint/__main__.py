"""`python -m param_lint`."""

from .cli import main

raise SystemExit(main())
