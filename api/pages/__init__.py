"""Citizen pages: server-rendered HTML under /fi/, /sv/ and /en/, working without JavaScript."""
