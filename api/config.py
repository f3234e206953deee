"""Settings from POLKU_* environment variables, refusing unsafe combinations."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE = Path("var") / "polku.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLKU_", extra="ignore", frozen=True)

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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _safe(self) -> Settings:
        if self.environment == "production" and "*" in self.cors_origins:
            raise ValueError("POLKU_CORS_ORIGINS='*' is not allowed in production: list origins")
        if not self.database_url.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError(
                "POLKU_DATABASE_URL must be sqlite:///PATH or postgresql+psycopg://..."
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
