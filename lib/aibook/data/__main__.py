"""``python -m aibook.data fetch``: fetch and cache every offline data set."""
import sys

from . import main

sys.exit(main())
