"""The content editors' web pages under /editor/: server-rendered, working without scripts, a
thin front end over the editor services (api.editor) that the JSON API uses too."""
