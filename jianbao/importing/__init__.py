"""The import stage: a manuscript (.docx, .md, .txt) → an article in an issue folder.

reading (file → HTML, with the zip and time limits) → cleanup (the HTML as
an editor would tidy it) → writing (HTML → Markdown); manuscript puts the
result into the issue. The `import` command (jianbao/commands/importer.py)
is a thin wrapper around `import_manuscript`.
"""
