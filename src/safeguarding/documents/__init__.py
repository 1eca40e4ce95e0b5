"""Reading partnership reports and strategies (PDF, Word, HTML, Markdown, plain text) into
sections with roles and statements; see ``extract.read_document``. Never imports Django."""
