"""`serve`: a live preview — build, serve output/ on localhost, rebuild on save, reload the browser.

server     the HTTP server, the file watcher and the rebuild loop
client.js  the script put into served pages: reload on rebuild, show errors over the page
"""
