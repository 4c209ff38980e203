"""Run the benchmarks and print one table row per budget: ``python -m bench [--quick] [ROW…]``."""

from __future__ import annotations

import argparse
import sys

from bench.harness import ROWS, print_table, run_rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benchmarks run")
    parser.add_argument("rows", nargs="*", choices=[[]] + list(ROWS), metavar="ROW",
                        help=f"rows to run (default: all): {', '.join(ROWS)}")
    args = parser.parse_args()
    results = run_rows(args.rows or list(ROWS), quick=args.quick)
    print_table(results)
    return 0


sys.exit(main())
