"""What every ``souverain`` command shares: consoles, error printing, safe writes,
and the audit run most commands start from."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from enum import StrEnum
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, BinaryIO, NoReturn

import typer
from rich.text import Text

from souverain.core.errors import InvalidInput, Problem, os_reason
from souverain.core.limits import MAX_AS_OF, MIN_AS_OF
from souverain.exporters.table import text_console
from souverain.i18n import Lang, label, problem_text
from souverain.pipeline import Pipeline

# User text (names, paths, arguments) is printed as text: no markup, no control
# characters (souverain.exporters.table.text_console); styles are given as Text styles.
# Messages are not wrapped: a path stays whole, for the terminal to wrap.
err = text_console(stderr=True, soft_wrap=True)
# Piped output has no width of its own: give the matrix room rather than 80 columns.
out = text_console(width=None if sys.stdout.isatty() else 160)


class LangOption(StrEnum):
    en = "en"
    fr = "fr"


def problem_detail(problem: Problem, lang: Lang) -> str:
    """A problem's message, what was expected and what was found, in ``lang``."""
    return problem_text(lang, problem.message) + _expected_found(
        lang, problem_text(lang, problem.expected), problem_text(lang, problem.found)
    )


def _expected_found(lang: Lang, expected: str, found: str) -> str:
    """`` — expected: …; found: …`` in ``lang``, each part only if there is one."""
    text = label(lang, "problem_expected", value=expected) if expected else ""
    return text + (label(lang, "problem_found", value=found) if found else "")


def fail(error: InvalidInput, lang: Lang) -> None:
    """Print every problem, grouped by file, and exit with status 1."""
    by_file: dict[str, list[str]] = {}
    for problem in sorted(error.problems, key=lambda p: (p.file, p.line or 0)):
        where = problem.file or "?"
        location = f"{where}:{problem.line}" if problem.line else where
        field = problem.field()
        text = f"{location}: {field + ': ' if field else ''}{problem_detail(problem, lang)}"
        by_file.setdefault(where, []).append(text)
    for name, lines in by_file.items():
        err.print(
            Text.assemble((label(lang, "errors_in", count=len(lines), file=name), "bold red")),
            highlight=False,
            soft_wrap=True,
        )
        for line in lines:
            err.print(f"  {line}", highlight=False, markup=False, emoji=False, soft_wrap=True)
    raise typer.Exit(1)


def usage_error(
    lang: Lang, option: str, expected: str, found: str, path: object = None
) -> NoReturn:
    """Say which option (and which file) is wrong, what was expected and what was found,
    and exit with status 2."""
    where = f"{option}: {path}" if path is not None else option
    detail = _expected_found(lang, expected, found).removeprefix(" — ")
    err.print(
        f"{where}: {detail}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(2)


class NotWritableKind(OSError):
    """An output path naming something that is neither a file, a FIFO nor a character
    device (a folder, a block device, a socket): it is never written nor replaced."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, kind, str(path))
        self.kind = kind


def _kind(mode: int) -> str | None:
    """What a path holds, when it is not something an output may be written to."""
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISBLK(mode):
        return "block_device"
    return "socket" if stat.S_ISSOCK(mode) else "other"


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes | Sequence[bytes]) -> None:
    """Write ``data`` (bytes, or pieces written one after the other) to ``path``
    (prefer :meth:`Outputs.write`, which refuses inputs and explains failures).

    A regular file is written entirely or not at all: a temporary file beside it replaces
    it at once, with the permissions of the file it replaces, or for a new file those the
    umask leaves (``0666 & ~umask``). A symbolic link is written through: its target is
    replaced, never the link. A FIFO or a character device (``/dev/stdout``,
    ``/dev/null``) is written as a stream, never replaced. Anything else raises
    :class:`NotWritableKind`; the file system's refusals raise their ``OSError``.
    """
    try:
        status: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        status = None
    if status is not None:
        kind = _kind(status.st_mode)
        if kind is not None:
            raise NotWritableKind(path, kind)
        if not stat.S_ISREG(status.st_mode):
            _write_stream(path, data)
            return
    # Through symbolic links: /proc's links to pipes only concern streams, handled above.
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            _write_all(stream, data)
            if status is None:
                os.fchmod(stream.fileno(), 0o666 & ~_umask())
            else:
                os.fchmod(stream.fileno(), stat.S_IMODE(status.st_mode) & 0o777)
                if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
                    # Root writing over another user's file: it stays theirs.
                    with suppress(OSError):
                        os.fchown(stream.fileno(), status.st_uid, status.st_gid)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_PIECES_PER_WRITE = 1024  # IOV_MAX on Linux and the BSDs


def _size(data: bytes | Sequence[bytes]) -> int:
    return len(data) if isinstance(data, bytes) else sum(len(piece) for piece in data)


def _write_all(stream: BinaryIO, data: bytes | Sequence[bytes]) -> None:
    if isinstance(data, bytes):
        stream.write(data)
        return
    if not hasattr(os, "writev"):
        stream.writelines(data)
        return
    # Many pieces: handed to the system a thousand at a time, without being copied.
    stream.flush()
    batch: list[bytes | memoryview] = []
    for piece in data:
        batch.append(piece)
        if len(batch) == _PIECES_PER_WRITE:
            _write_vector(stream.fileno(), batch)
    _write_vector(stream.fileno(), batch)


def _write_vector(handle: int, batch: list[bytes | memoryview]) -> None:
    """Every byte of ``batch`` written (then ``batch`` emptied), however the system
    splits the writes."""
    start = 0
    while start < len(batch):
        written = os.writev(handle, batch[start : start + _PIECES_PER_WRITE])
        while start < len(batch) and written >= len(batch[start]):
            written -= len(batch[start])
            start += 1
        if written:
            batch[start] = memoryview(batch[start])[written:]
    batch.clear()


def _write_stream(path: Path, data: bytes | Sequence[bytes]) -> None:
    """A FIFO or a character device: opened (never created) and written to."""
    handle = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(handle, "wb") as stream:
        kind = _kind(os.fstat(handle).st_mode)
        if kind is not None:  # replaced since it was looked at
            raise NotWritableKind(path, kind)
        _write_all(stream, data)


# What an output may not be: one of the command's inputs. The catalog's file names.
CATALOG_SUFFIXES = (".yaml", ".yml", ".json")


class Outputs:
    """Where a command may write: anywhere but over what it reads.

    Built from the command's inputs (estate, methodology, catalogs, plan, files
    compared, example estates); :meth:`check` refuses an output path that is one of
    them or cannot be a file (a usage error, exit 2, before the work), :meth:`write`
    writes it (:func:`write_atomically`) and explains, in the user's language, why it
    could not. Souverain's own data (the shipped catalog and methodology) is an input
    of every command.
    """

    def __init__(
        self,
        lang: Lang,
        *,
        estate: Path | None = None,
        methodology: Path | None = None,
        catalogs: Iterable[Path] = (),
        plan: Path | None = None,
        compared: Iterable[Path] = (),
        examples: Iterable[Path] = (),
    ) -> None:
        self.lang = lang
        self._files: list[tuple[Path, str]] = [
            (path, role)
            for path, role in (
                (estate, "input_estate"),
                (methodology, "input_methodology"),
                (plan, "input_plan"),
                *((p, "input_compared") for p in compared),
                *((p, "input_example") for p in examples),
            )
            if path is not None
        ]
        self._folders: list[tuple[Path, str]] = [(p, "input_catalog") for p in catalogs]
        shipped = resources.files("souverain") / "data"
        if isinstance(shipped, Path):
            self._folders.append((shipped, "input_shipped"))

    def check(self, path: Path | None, option: str = "--output") -> None:
        """Exit with a usage error if ``path`` is an input or cannot be written as a file."""
        if path is None:
            return
        why = self._input(path) or self._obstacle(path)
        if why is not None:
            usage_error(self.lang, option, *why, path=path)

    def check_folder(self, path: Path, option: str = "--output") -> None:
        """Exit with a usage error if ``path`` exists and is not a folder."""
        try:
            is_folder = path.is_dir() or not path.exists()
        except OSError as error:
            usage_error(self.lang, option, *self._explain(path, error), path=path)
        if not is_folder:
            self._refuse(path, option, "output_expected_folder", "output_found_file")
        blocker = _not_a_folder(path)
        if blocker is not None:
            self._refuse(path, option, "output_expected_folder_at", "output_found_file", blocker)

    def write(self, path: Path, data: bytes | Sequence[bytes], option: str = "--output") -> None:
        """Write ``data`` to ``path`` entirely (a regular file: or not at all), or exit
        with a usage error saying why it cannot be."""
        self.check(path, option)
        try:
            write_atomically(path, data)
        except OSError as error:
            usage_error(self.lang, option, *self._explain(path, error, _size(data)), path=path)

    def _refuse(
        self, path: Path, option: str, expected: str, found: str, at: Path | None = None
    ) -> NoReturn:
        lang = self.lang
        usage_error(lang, option, label(lang, expected, path=at), label(lang, found), path=path)

    def _input(self, path: Path) -> tuple[str, str] | None:
        """(expected, found) if ``path`` is one of the inputs; streams never are."""
        try:
            status: os.stat_result | None = os.stat(path)
        except OSError:
            status = None
        if status is not None and not stat.S_ISREG(status.st_mode):
            return None
        real = Path(os.path.realpath(path))
        found = None
        for file, role in self._files:
            if real == Path(os.path.realpath(file)) or (
                status is not None and _same_file(status, file)
            ):
                found = label(self.lang, role)
                break
        else:
            for folder, role in self._folders:
                inside = real.is_relative_to(os.path.realpath(folder))
                if inside and real.suffix.lower() in CATALOG_SUFFIXES:
                    found = label(self.lang, role, folder=folder)
                    break
        if found is None:
            return None
        return label(self.lang, "output_expected_not_input"), found

    def _obstacle(self, path: Path) -> tuple[str, str] | None:
        """(expected, found) if ``path`` can be seen not to be writable as a file."""
        lang = self.lang
        try:
            kind = _kind(os.stat(path).st_mode)
        except FileNotFoundError:
            kind = None
        except OSError as error:
            return self._explain(path, error)
        if kind is not None:
            return label(lang, "output_expected_file"), label(lang, f"output_found_{kind}")
        blocker = _not_a_folder(path.parent)
        if blocker is not None:
            return (
                label(lang, "output_expected_folder_at", path=blocker),
                label(lang, "output_found_file"),
            )
        return None

    def _explain(self, path: Path, error: OSError, size: int = 0) -> tuple[str, str]:
        """(expected, found) for the file system's refusal to write ``path``."""
        lang = self.lang
        if isinstance(error, NotWritableKind):
            return label(lang, "output_expected_file"), label(lang, f"output_found_{error.kind}")
        if isinstance(error, IsADirectoryError):
            return label(lang, "output_expected_file"), label(lang, "output_found_folder")
        if isinstance(error, NotADirectoryError | FileExistsError):
            blocker = _not_a_folder(path.parent) or path.parent
            return (
                label(lang, "output_expected_folder_at", path=blocker),
                label(lang, "output_found_file"),
            )
        if error.errno == errno.ENAMETOOLONG:
            name_max, path_max = _name_limits(path)
            longest = max(len(os.fsencode(part)) for part in Path(path).parts)
            return (
                label(lang, "output_expected_name", name_max=name_max, path_max=path_max),
                label(lang, "output_found_name", name=longest, path=len(os.fsencode(path))),
            )
        found = {
            errno.EACCES: "output_found_denied",
            errno.EPERM: "output_found_denied",
            errno.EROFS: "output_found_read_only",
            errno.ENOSPC: "output_found_full",
            errno.EDQUOT: "output_found_quota",
            errno.ELOOP: "output_found_loop",
        }.get(error.errno or 0)
        expected = {
            "output_found_denied": "output_expected_writable",
            "output_found_read_only": "output_expected_writable_system",
            "output_found_full": "output_expected_room",
            "output_found_quota": "output_expected_room",
        }.get(found or "", "output_expected_written")
        detail = label(lang, found) if found else problem_text(lang, os_reason(error))
        if error.filename is not None and os.fsdecode(error.filename) != str(path):
            detail += f" ({os.fsdecode(error.filename)})"
        return label(lang, expected, size=size), detail


def _same_file(status: os.stat_result, other: Path) -> bool:
    try:
        other_status = os.stat(other)
    except OSError:
        return False
    return (status.st_dev, status.st_ino) == (other_status.st_dev, other_status.st_ino)


def _not_a_folder(folder: Path) -> Path | None:
    """The nearest existing path at or above ``folder``, if it is not a folder (then
    nothing can be made under it)."""
    for candidate in (folder, *folder.parents):
        try:
            status = os.stat(candidate)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            return None
        return None if stat.S_ISDIR(status.st_mode) else candidate
    return None


def _name_limits(path: Path) -> tuple[int, int]:
    """The longest file name and path the file system under ``path`` accepts."""
    for candidate in (*Path(os.path.abspath(path)).parents,):
        try:
            return (
                os.pathconf(candidate, "PC_NAME_MAX"),
                os.pathconf(candidate, "PC_PATH_MAX"),
            )
        except OSError:
            continue
    return 255, 4096


@contextmanager
def _progress_bar(lang: Lang, assets: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal while a large estate is scored."""
    if assets < 2000 or not err.is_terminal:
        yield None
        return
    # Imported here: most runs (small estates, or output not on a terminal) show no bar.
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label(lang, "progress_scoring"), total=assets)
        yield lambda done, total: progress.update(task, completed=done)


def pipeline(lang: Lang) -> Pipeline:
    """The pipeline of one command run (souverain.pipeline), its progress shown here."""
    return Pipeline(progress=partial(_progress_bar, lang))


def parse_day(text: str | None, lang: Lang) -> date:
    """The ``--as-of`` date, from MIN_AS_OF to MAX_AS_OF (core.limits); today without it."""
    if text is None:
        return date.today()
    try:
        day: date | None = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not MIN_AS_OF <= day <= MAX_AS_OF:
        expected = label(lang, "as_of_expected", min=MIN_AS_OF, max=MAX_AS_OF)
        usage_error(lang, "--as-of", expected, repr(text))
    return day


def emit_json(data: object, output: Path | None, outputs: Outputs) -> None:
    """Indented JSON to ``output`` (atomically, then say so) or to standard output."""
    emit_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, outputs)


def emit_text(text: str, output: Path | None, outputs: Outputs) -> None:
    """``text`` to ``output`` (atomically, then say so) or to standard output."""
    if output is None:
        sys.stdout.write(text)
        return
    outputs.write(output, text.encode("utf-8"))
    err.print(label(outputs.lang, "written", path=output), highlight=False)


# Options shared by the commands that audit an estate first.
LangOpt = Annotated[LangOption | None, typer.Option("--lang", help="fr | en (default: locale).")]
MethodologyOpt = Annotated[
    Path | None,
    typer.Option(
        "--methodology",
        help="Methodology YAML replacing the shipped one. / Méthodologie remplaçant celle fournie.",
    ),
]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog",
        help="Catalog directory merged over the shipped one (repeatable). "
        "/ Répertoire de catalogue fusionné (répétable).",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Date of the audit, YYYY-MM-DD (default: today). / Date de l'audit."
    ),
]
