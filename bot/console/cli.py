"""Console commands: create the first admin, purge old conversations, fill the store with synthetic ones.

usage:
  python -m bot.console.cli create-admin --email EMAIL --clinic demo   (asks for the password;
        or reads $CONSOLE_ADMIN_PASSWORD for automation)
  python -m bot.console.cli purge [--dry-run]       delete conversations older than each clinic's
        retention_days (schedule it, e.g. daily from cron)
  python -m bot.console.cli synth --count 5000 [--clinic demo] [--seed 1]

This module only reads the arguments; each command lives in the module named by its import.
"""

from __future__ import annotations

import argparse
import sys
from typing import List

from bot.console.account_commands import change_account, create_admin
from bot.console.events_table import ensure_events_table
from bot.console.retention import purge
from bot.console.synthetic import synth
from bot.storage.migrate import upgrade


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin")
    admin.add_argument("--email", required=True)
    admin.add_argument("--clinic", default="demo")
    off = commands.add_parser("deactivate")
    off.add_argument("--email", required=True)
    password = commands.add_parser("set-password")
    password.add_argument("--email", required=True)
    old = commands.add_parser("purge")
    old.add_argument("--dry-run", action="store_true")
    fake = commands.add_parser("synth")
    fake.add_argument("--count", type=int, default=5000)
    fake.add_argument("--clinic", action="append")
    fake.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    upgrade()
    ensure_events_table()
    if args.command == "create-admin":
        return create_admin(args.email, args.clinic)
    if args.command in ("deactivate", "set-password"):
        return change_account(args.email, deactivate=args.command == "deactivate")
    if args.command == "purge":
        return purge(args.dry_run)
    return synth(args.count, args.clinic or ["demo"], args.seed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
