"""The `studybot` command: run the bot, the console, and the content tools."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from studybot.config import Config, ConfigError, load_config, mask_tokens
from studybot.heartbeat import MAX_AGE_SECONDS


def _config(args: argparse.Namespace) -> Config:
    """Settings with this command's --db and --content flags on top."""
    config = load_config(args.config)
    if getattr(args, "content", None) is not None:
        config.content = args.content
    if getattr(args, "db", None) is not None:
        config.database = args.db
    return config


def _quality(args: argparse.Namespace, config: Config, course):
    """The quality checks of the course, with the seed texts from --seeds or the settings."""
    from bot.course.quality import assess
    from bot.course.seeds import default_seeds_folder, read_seeds

    folder = args.seeds or config.seeds or default_seeds_folder(config.content)
    seeds, seed_problems = read_seeds(folder, course)
    return assess(course, seeds or None, seed_problems)


def _content_check(args: argparse.Namespace) -> int:
    from bot.course.load import checked_course
    from bot.course.quality import quality_warnings
    from studybot.polls import question_poll_overflows

    config = _config(args)
    args.content = config.content
    course, problems = checked_course(args.content)
    warnings = quality_warnings(_quality(args, config, course))
    for problem in problems:
        print(problem)
    for warning in warnings:
        print(warning)
    if args.polls or not problems:
        overflow = {q.id: question_poll_overflows(q) for q in course.questions.values()}
        long = {k: v for k, v in overflow.items() if v and v != ["typed answer"]}
        if args.polls:
            for qid, reasons in long.items():
                print(f"{course.questions[qid].file}: {qid}: sent as a message with buttons ({'; '.join(reasons)})")
    if problems:
        print(f"{len(problems)} problem(s) and {len(warnings)} warning(s) in {args.content}",
              file=sys.stderr)
        return 1
    if warnings and args.strict:
        print(f"{len(warnings)} warning(s) in {args.content} (--strict)", file=sys.stderr)
        return 1
    note = f"; {len(long)} too long for a Telegram quiz poll (see --polls)" if long else ""
    warned = f"; {len(warnings)} warning(s) above" if warnings else ""
    print(f"OK: {len(course.topics)} topics, {len(course.concepts)} concepts, "
          f"{len(course.questions)} questions{note}{warned}")
    return 0


def _content_stats(args: argparse.Namespace) -> int:
    from bot.course.load import ContentError, load_course
    from bot.course.quality import quality_lines
    from bot.course.stats import stats_lines
    from studybot.polls import poll_line

    config = _config(args)
    args.content = config.content
    try:
        course = load_course(args.content)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print("\n".join(stats_lines(course)))
    print(f"\n{poll_line(course)}")
    print("\nteaching quality (warnings of `studybot content check`):")
    print("\n".join(f"  {line}" for line in quality_lines(_quality(args, config, course))))
    return 0


def _console(args: argparse.Namespace) -> int:
    from studybot.run import run_console
    from studybot.startup import check_startup

    config = _config(args)
    course = check_startup(config, tokens=False)
    return run_console(content_dir=config.content, db_path=config.database, jsonl=args.jsonl,
                       start=args.start, seed=args.seed, settings=config.settings, course=course,
                       log_level=config.log_level, verbose=args.verbose)


def _run(args: argparse.Namespace) -> int:
    from studybot.run import run_bot

    return run_bot(_config(args), webhook=args.webhook, port=args.port)


def _db_backup(args: argparse.Namespace) -> int:
    from bot.store.backup import BackupError, backup_database

    source = _config(args).database
    try:
        backup_database(source, args.path)
    except BackupError as error:
        print(f"studybot: {error}", file=sys.stderr)
        return 2
    print(f"backed up {source} to {args.path}")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from studybot.doctor import doctor

    return doctor(args.config, args.db, args.content, alive=args.alive, max_age=args.max_age)


def _report(args: argparse.Namespace) -> int:
    from studybot.report import report

    return report(_config(args), args.chat, args.csv, args.content_reports, args.items)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studybot", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="on a failure, show the traceback too")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, db: bool = True, content: bool = True) -> None:
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="on a failure, show the traceback too")
        p.add_argument("--config", type=Path, default=None,
                       help="settings file (default: studybot.yaml here, or $STUDYBOT_CONFIG)")
        if content:
            p.add_argument("--content", type=Path, default=None,
                           help="content directory (default: the settings' content, else ./content)")
        if db:
            p.add_argument("--db", type=Path, default=None,
                           help="SQLite database (default: the settings' database, else data/studybot.sqlite3)")

    run = sub.add_parser("run", help="start the bot on every platform that has a token (console if none)")
    common(run)
    run.add_argument("--webhook", default=None, metavar="URL",
                     help="Telegram: receive updates at this public URL instead of long polling")
    run.add_argument("--port", type=int, default=8443, help="Telegram webhook: the local port to listen on")
    run.set_defaults(func=_run)

    console = sub.add_parser("console", help="talk to the bot in this terminal")
    common(console)
    console.add_argument("--jsonl", action="store_true", help="machine mode: one JSON object a line each way")
    console.add_argument("--start", default=None, help="machine mode: the clock's start instant (ISO 8601)")
    console.add_argument("--seed", type=int, default=0,
                         help="machine mode: the random source's seed (default: %(default)s)")
    console.add_argument("--verbose", action="store_true",
                         help="show the log in the terminal (by default it goes to a file beside the database)")
    console.set_defaults(func=_console)

    content = sub.add_parser("content", help="check or count the course content")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser(
        "check", help="validate every content file and warn where questions teach badly; exit 1 on "
                      "any problem (and on any warning with --strict)")
    common(check, db=False)
    check.add_argument("--polls", action="store_true", help="also list questions too long for a quiz poll")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.set_defaults(func=_content_check)
    stats = content_sub.add_parser(
        "stats", help="counts per topic, type and difficulty, and the teaching-quality figures")
    common(stats, db=False)
    stats.set_defaults(func=_content_stats)
    for command in (check, stats):
        command.add_argument("--seeds", type=Path, default=None,
                             help="the seed texts' folder (default: the settings' seeds, else "
                                  "CONTENT/../../shared/seeds)")

    check_up = sub.add_parser("doctor", help="run the start-up checks (settings, tokens, database, content), "
                                             "one line each; --alive: is the running bot healthy?")
    common(check_up)
    check_up.add_argument("--alive", action="store_true",
                          help="only check the running bot's heartbeat: exit 0 if fresh, else 1 (health checks)")
    check_up.add_argument("--max-age", type=float, default=MAX_AGE_SECONDS, metavar="SECONDS",
                          help="--alive: the oldest heartbeat that still counts (default: %(default)s)")
    check_up.set_defaults(func=_doctor)

    teacher = sub.add_parser("report", help="per-question results of a chat (CSV), item analysis, "
                                            "or reported questions; reads the database, never writes it")
    common(teacher, content=False)
    teacher.add_argument("--chat", help="the chat: PLATFORM:ID (e.g. telegram:-1001) or its id")
    teacher.add_argument("--csv", type=Path, help="write the per-question results (or with --items, "
                                                  "the item analysis) here")
    teacher.add_argument("--items", action="store_true",
                         help="item analysis: times asked, facility, discrimination, option picks "
                              "and flags per question, of one chat (--chat) or all")
    teacher.add_argument("--content", dest="content_reports", action="store_true",
                         help="list the questions students reported as wrong or unclear, per id")
    teacher.set_defaults(func=_report)

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    backup = db_sub.add_parser("backup", help="write a consistent copy of the database, safe while the bot runs")
    backup.add_argument("path", type=Path)
    common(backup, content=False)
    backup.set_defaults(func=_db_backup)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. A failure the operator can fix is one line on standard error and exit 2;
    anything unexpected is one line and exit 1; `--debug` shows the traceback as well."""
    from bot.store.ownership import OwnershipError
    from studybot.startup import StartupError

    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        return args.func(args)
    except (ConfigError, OwnershipError, StartupError) as error:
        if debug:
            traceback.print_exc()
        for line in error.lines if isinstance(error, StartupError) else [str(error)]:
            print(f"studybot: {line}", file=sys.stderr)
        return 2
    except Exception as error:     # noqa: BLE001 -- one line instead of a traceback
        if debug:
            raise
        print(f"studybot: stopped by an unexpected error: {mask_tokens(f'{type(error).__name__}: {error}')}"
              f"; run it again with --debug to see where", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
