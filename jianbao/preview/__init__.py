"""`serve`: a live preview — build, serve output/ on localhost, rebuild on save, reload the browser.

live       the loop: build, serve, rebuild on every save until Ctrl-C
watch      the file watcher: batches of saved files
rebuild    what a save rebuilds, in which order (page, PDF, search index), and what a failure owes
server     the HTTP server: files, live pages, the event stream
events     the state announced to every open tab (Server-Sent Events)
inject     the reload script and error overlay put into served pages
client.js  that script: reload on rebuild, show errors over the page
"""
