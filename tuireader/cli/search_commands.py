"""Subcommands of this module are registered in `tuireader.cli.COMMANDS`."""

from __future__ import annotations

from tuireader.cli.common import Command

COMMANDS: tuple[Command, ...] = ()
