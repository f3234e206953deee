"""The public read API under /v1: published journeys, organisations and life events, served
from the prepared catalogue in memory; also the routes a plan is asked for at (the plans
themselves are `api.plans`'). Only api/main.py imports it, to register the router."""
