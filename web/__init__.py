"""The web app: server-rendered pages for employees and supervisors (issue 13), with vendored browser code."""
