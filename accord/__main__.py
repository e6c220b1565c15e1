"""Allow ``python -m accord`` as well as the ``accord`` console script."""

from accord.config.cli import main

main()
