"""An output folder whose last build was killed → without what that build left behind.

Only ever run under the output lock (lock.py): a staging folder or a
temporary file is then certainly not another build's work in progress.
"""

from __future__ import annotations

from pathlib import Path

from jianbao.files import is_temporary, remove_tree
from jianbao.write.staging import staging_prefix
from jianbao.write.swap import old_prefix


def remove_stale_temporaries(output: Path, inside: bool = True) -> None:
    """Delete what a killed build left behind: staging folders and, with `inside` (walking the whole
    site, which a large archive makes slow), temporary files in the site."""
    if output.is_dir():
        for temp in output.rglob(".*.tmp") if inside else ():
            if is_temporary(temp):
                temp.unlink(missing_ok=True)
        # An `.old-` folder is stale only while the live site exists (else it may be the last good site).
        for stale in output.parent.glob(f"{old_prefix(output)}*"):
            remove_tree(stale)
    for stale in output.parent.glob(f"{staging_prefix(output)}*"):
        remove_tree(stale)
