"""The knowledge base: articles in Markdown (rendered and sanitised on the server) with translations, versions,
visibility and a category tree; search that works for Chinese and English on SQLite and PostgreSQL; suggestions
while a requester types, deflections, and the articles shown to or linked with a ticket."""
