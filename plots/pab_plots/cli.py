"""What plots/plot and plots/compare share: a problem is one line on stderr and an exit
status (1 failure, 2 bad input), never a traceback."""
import argparse
import sys


class BadInput(Exception):
    """The arguments or the results folder are wrong: exit status 2."""


class Failure(Exception):
    """A step failed that the input does not explain (gnuplot, a rename): exit status 1."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose errors are BadInput: its own prints the usage too, and bad input is
    one line."""

    def error(self, message):
        raise BadInput(f"{message} (see {self.prog} --help)")


def run(name, main):
    """Runs main(arguments) and exits with the status it returns (0 when None), or 1 or 2
    with one line "name: why" on stderr."""
    try:
        status = main(sys.argv[1:])
    except (BadInput, Failure) as problem:
        print(f"{name}: {problem}", file=sys.stderr)
        sys.exit(2 if isinstance(problem, BadInput) else 1)
    sys.exit(status or 0)
