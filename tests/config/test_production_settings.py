"""Production mode refuses the embedded defaults and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "ramp.example.com",
    "SITE_URL": "https://ramp.example.com",
    "DATABASE_URL": "postgres://ramp:secret@db.internal:5432/ramp",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "VERIFICATION_PROVIDER": "pennydrop",
    "PENNYDROP_BASE_URL": "https://verify.example.com",
    "PENNYDROP_API_KEY": "pd_live_key",
    "VAULT_BASE_URL": "https://api.vault.example.com",
    "VAULT_API_KEY": "vault-live-key",
    "VAULT_WEBHOOK_SECRET": "vault-live-webhook-secret",
    "PAYSECURE_BASE_URL": "https://api.paysecure.example.com",
    "PAYSECURE_API_KEY": "paysecure-live-key",
    "PAYSECURE_WEBHOOK_SECRET": "paysecure-live-webhook-secret",
    "ENCRYPTION_KEYS": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
}


def manage(*args, env):
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_embedded_defaults():
    result = manage("check", env={"DJANGO_ENV": "production"})

    assert result.returncode != 0
    for problem in (
        "SECRET_KEY must be set",
        "ALLOWED_HOSTS must list",
        "SITE_URL must be an https:// URL",
        "DATABASE_URL must point at PostgreSQL",
        "CACHE_URL must be a cache shared by every process",
        "EMAIL_URL must be an SMTP URL",
        "VERIFICATION_PROVIDER must be a real provider",
        "SANDBOX_PROVIDERS must be off",
    ):
        assert problem in result.stderr


def test_production_refuses_debug():
    result = manage("check", env={**PRODUCTION_ENV, "DEBUG": "true"})

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_the_immediate_task_backend():
    result = manage(
        "check",
        env={**PRODUCTION_ENV, "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    )

    assert result.returncode != 0
    assert "TASKS_BACKEND must be a real queue" in result.stderr
