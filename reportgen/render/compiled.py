"""The built-in templates' Jinja code: compiled once per process and kept on disk between runs.

Compiling a built-in template (lexing, parsing, code generation, Python's ``compile``) costs
about 10 ms of every cold ``report``. ``CompiledOnce`` keeps each template it compiled for the
process; ``DiskCache`` keeps its code object in the user's cache folder
(``locations.cache_dir()/jinja``) in Jinja's own bytecode-cache format (``jinja2.bccache``: a
magic header, the source's checksum, the ``marshal``-ed code), in a file named after the source,
the Jinja version, Python's bytecode magic number and the environment's syntax options.

Only the built-in templates' environment has it: a user's template is never written to the
cache nor read from it. Any failure of the cache (no home folder, a read-only or unwritable
folder, a truncated or corrupt file) falls back to compiling, silently. Files are written under
a temporary name and renamed (``os.replace``), so concurrent workers only read whole files.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import MutableMapping
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import Environment, StrictUndefined, Template, nodes
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from reportgen.locations import cache_dir

FOLDER = "jinja"  # inside the user's cache folder
PATTERN = "%s.jinja"


class DiskCache(FileSystemBytecodeCache):
    """Compiled templates in ``directory``, one file per source; never an error."""

    def __init__(self, directory: Path) -> None:
        super().__init__(str(directory), PATTERN)

    def code(self, environment: Environment, source: str) -> CodeType:
        """The code of ``source``: loaded from the cache, else compiled and stored."""
        bucket = self.get_bucket(environment, cache_key(environment, source), None, source)
        if bucket.code is None:
            bucket.code = environment.compile(source)
            self.dump_bytecode(bucket)
        return bucket.code

    def load_bytecode(self, bucket: Bucket) -> None:
        """Jinja's loading, with any unreadable or corrupt file taken as a miss."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # OSError, or what pickle/marshal raise on damaged bytes
            bucket.reset()
        if not isinstance(bucket.code, CodeType):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Jinja's atomic write (temporary file, ``os.replace``); skipped where it cannot write."""
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def cache_key(environment: Environment, source: str) -> str:
    """The name of ``source``'s cache file: a hash of all that changes its compiled code."""
    options = (
        jinja2.__version__,
        MAGIC_NUMBER,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.autoescape,
        environment.optimized,
        environment.is_async,
        environment.finalize is None,
        sorted(environment.extensions),
    )
    digest = hashlib.sha256(repr(options).encode())
    digest.update(source.encode())
    return digest.hexdigest()


class CompiledOnce(Environment):
    """``from_string`` keeps the templates it compiled, by source (at most ``LIMIT``), in the
    process, and their code in the user's cache folder between processes."""

    LIMIT = 64

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) >= self.LIMIT:
                self._compiled.clear()
            self._compiled[source] = self._template(source)
        return self._compiled[source]

    def _template(self, source: str) -> Template:
        """``source`` as a template, its code from the disk cache when there is one."""
        folder = cache_dir()
        if folder is None:
            return super().from_string(source)
        code = DiskCache(folder / FOLDER).code(self, source)
        return self.template_class.from_code(self, code, self.make_globals(None), None)


@functools.cache
def builtin_environment() -> Environment:
    """The strict, non-escaping environment every built-in template renders in."""
    return CompiledOnce(autoescape=False, undefined=StrictUndefined)
