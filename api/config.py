"""Settings from POLKU_* environment variables, refusing unsafe combinations."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from limits import parse_many
from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE = Path("var") / "polku.sqlite3"
# The custom properties a portal may set on the embed pages (static/polku.css uses them).
THEME_PROPERTIES = (
    "text",
    "muted",
    "link",
    "focus",
    "border",
    "background",
    "accent",
    "button",
    "font",
)
# Colours (#rgb, #rrggbb) and font lists: nothing that could end a declaration or a rule.
# Host names a development server also answers to (testserver: Starlette's TestClient).
DEVELOPMENT_HOSTS = ("127.0.0.1", "localhost", "testserver")
THEME_VALUE = re.compile(r"#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[A-Za-z0-9 ,-]{1,200}")
# The `limits` library's storages that may hold the counters (shared by every worker).
REDIS_SCHEMES = ("redis", "rediss", "redis+unix", "redis+cluster", "redis+sentinel")


class Settings(BaseSettings):
    # hide_input_in_errors: a refused setting may be a secret; the message names it, not its value.
    model_config = SettingsConfigDict(
        env_prefix="POLKU_", extra="ignore", frozen=True, hide_input_in_errors=True
    )

    environment: Literal["development", "production"] = "development"
    # Unset: an SQLite file under var/ (created on first start). PostgreSQL in production:
    # postgresql+psycopg://user:password@host:5432/polku
    database_url: str = f"sqlite:///{DEFAULT_DATABASE}"
    journeys_dir: Path = Path("journeys")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    # Origins allowed to call the API from browsers (portals); "*" only outside production.
    cors_origins: list[str] = Field(default_factory=list)
    # A saved checklist not used for this long is deleted.
    checklist_ttl_days: int = Field(180, ge=1, le=3650)
    # How often each worker looks for newly published versions.
    reload_seconds: float = Field(0.25, gt=0, le=60)
    max_body_bytes: int = Field(64 * 1024, ge=1024, le=10 * 1024 * 1024)
    # The editors' API takes whole journeys (the largest file is about 100 kB of YAML).
    editor_max_body_bytes: int = Field(1024 * 1024, ge=64 * 1024, le=10 * 1024 * 1024)
    # Signs the token in every page form that changes something. Unset in development: a new
    # random key each start (forms rendered before a restart are refused kindly).
    secret_key: SecretStr | None = None
    # Origins (https://portal.example) whose pages may show /embed/ pages in a frame.
    frame_origins: list[str] = Field(default_factory=list)
    # CSS custom properties for the embed pages, without the --polku- prefix:
    # {"accent": "#0a5c36", "font": "Georgia, serif"}. See README, "Embedding".
    embed_theme: dict[str, str] = Field(default_factory=dict)

    # --- the public address -------------------------------------------------------------------
    # The address people reach Polku at (https://polku.example), for every absolute link (the
    # calendar file, the private link of a saved checklist, problem types): never the request's
    # Host header. An http(s) origin without path or query; a trailing slash is dropped.
    # Required in production; unset in development: http://HOST:PORT. After validation it is
    # always set.
    public_url: str = ""
    # Host names a request may name (Host header, without the port); others get 400. Empty: the
    # public address's host (and, in development, also 127.0.0.1, localhost and testserver).
    # After validation it is the list in force.
    allowed_hosts: list[str] = Field(default_factory=list)

    # --- clients and limits -------------------------------------------------------------------
    # Proxies (addresses or networks) whose X-Forwarded-For is believed; the client address of
    # every other request is the peer's own.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Per-client limits in the `limits` library's notation ("20/minute;200/hour").
    limit_checklist_create: str = "20/minute;200/hour"
    limit_checklist_write: str = "120/minute"
    limit_feedback: str = "10/minute;50/hour"
    limit_failed_sign_in: str = "10/minute;50/hour"
    # Where the counters live: memory:// (each worker its own) or redis://host:6379 (shared).
    rate_limit_storage: str = "memory://"
    # The in-memory response cache of each worker: total bytes, and the longest address kept.
    cache_max_bytes: int = Field(32 * 1024 * 1024, ge=0, le=1024 * 1024 * 1024)
    cache_max_address: int = Field(512, ge=0, le=8192)
    # A request body that does not arrive within this many seconds is refused (408).
    body_timeout_seconds: float = Field(10.0, gt=0, le=300)

    # --- editors ------------------------------------------------------------------------------
    # An editor token made today stops working after this many days.
    editor_token_days: int = Field(365, ge=1, le=3650)
    # A signed-in editor's page session ends after this many hours without a request.
    editor_session_idle_hours: float = Field(8, gt=0, le=24 * 30)
    # The dashboard says "review due" for a journey last reviewed longer ago than this.
    editor_review_months: int = Field(12, ge=1, le=120)

    # --- logs and metrics ---------------------------------------------------------------------
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # /metrics (Prometheus): answered only to loopback clients unless public, or to a request
    # with this token as its Bearer.
    metrics_public: bool = False
    metrics_token: SecretStr | None = None

    @property
    def checklist_ttl(self) -> dt.timedelta:
        return dt.timedelta(days=self.checklist_ttl_days)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value()) < 32:
            raise ValueError("POLKU_SECRET_KEY must be at least 32 characters long")
        return key

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token_long_enough(cls, token: SecretStr | None) -> SecretStr | None:
        # Anyone who can reach /metrics may guess at it, as often as they like.
        if token is not None and len(token.get_secret_value()) < 32:
            raise ValueError("POLKU_METRICS_TOKEN must be at least 32 characters long")
        return token

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, proxies: list[str]) -> list[str]:
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(
                    f"POLKU_TRUSTED_PROXIES: '{proxy}' is not an address or network "
                    "like 10.0.0.5 or 10.0.0.0/8"
                ) from None
        return proxies

    @field_validator(
        "limit_checklist_create", "limit_checklist_write", "limit_feedback", "limit_failed_sign_in"
    )
    @classmethod
    def _limits(cls, value: str, info: ValidationInfo) -> str:
        try:
            parse_many(value)
        except ValueError:
            name = f"POLKU_{(info.field_name or '').upper()}"
            raise ValueError(
                f"{name}: '{value}' is not a limit like 20/minute or 20/minute;200/hour"
            ) from None
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _storage(cls, url: str) -> str:
        # Checked here so a mistyped address stops the start, not the first request.
        scheme = url.partition("://")[0]
        if url != "memory://" and scheme not in REDIS_SCHEMES:
            raise ValueError(
                "POLKU_RATE_LIMIT_STORAGE must be memory:// or redis://HOST:PORT "
                "(with the redis package installed)"
            )
        return url

    @model_validator(mode="after")
    def _safe(self) -> Settings:
        if self.environment == "production" and "*" in self.cors_origins:
            raise ValueError("POLKU_CORS_ORIGINS='*' is not allowed in production: list origins")
        if not self.database_url.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError(
                "POLKU_DATABASE_URL must be sqlite:///PATH or postgresql+psycopg://..."
            )
        if self.secret_key is None and (self.environment == "production" or self.workers > 1):
            raise ValueError(
                "set POLKU_SECRET_KEY (32 characters or more) so that every worker and restart "
                "accepts the forms the others rendered"
            )
        for origin in self.frame_origins:
            if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
                raise ValueError(
                    f"POLKU_FRAME_ORIGINS: '{origin}' is not an origin like https://portal.example"
                )
        self._public_address()
        for name, value in self.embed_theme.items():
            if name not in THEME_PROPERTIES:
                known = ", ".join(THEME_PROPERTIES)
                raise ValueError(f"POLKU_EMBED_THEME: unknown property '{name}' (use {known})")
            if not THEME_VALUE.fullmatch(value):
                raise ValueError(
                    f"POLKU_EMBED_THEME: the value of '{name}' is not a plain colour or font list"
                )
        return self

    def _public_address(self) -> None:
        """Fill in public_url and allowed_hosts (see above). The refusals never repeat the value:
        a URL may carry a password."""
        url = self.public_url.strip()
        if not url:
            if self.environment == "production":
                raise ValueError(
                    "set POLKU_PUBLIC_URL (e.g. https://polku.example): the address people "
                    "reach Polku at, for the links Polku writes"
                )
            host = f"[{self.host}]" if ":" in self.host else self.host
            url = f"http://{host}:{self.port}"
        parts = urlsplit(url)
        try:
            hostname, _ = parts.hostname, parts.port  # .port raises on a bad port
        except ValueError:
            hostname = None
        if (
            parts.scheme not in ("http", "https")
            or not hostname
            or parts.username is not None
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or url.endswith(("?", "#"))
        ):
            raise ValueError(
                "POLKU_PUBLIC_URL must be an http(s) origin like https://polku.example "
                "(scheme, host and port only: no path, query or user)"
            )
        hosts = [h.strip().lower() for h in self.allowed_hosts if h.strip()]
        if not hosts:
            hosts = [hostname]
            if self.environment == "development":
                hosts += [h for h in DEVELOPMENT_HOSTS if h != hostname]
        # Settings are frozen; these two are derived once, here, before anyone reads them.
        object.__setattr__(self, "public_url", url.rstrip("/"))
        object.__setattr__(self, "allowed_hosts", hosts)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
