# Jobday: one image for the web processes and the job worker (see compose.yaml).
FROM python:3.11-slim-bookworm

# WeasyPrint draws badges through Pango and subsets fonts with HarfBuzz (without
# libharfbuzz-subset0 a badge takes ~8x longer); pg_dump/psql serve `flask backup`/`restore`
# against PostgreSQL 15 (same major version as the server).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FLASK_APP=jobday JOBDAY_BIND=0.0.0.0:8000

RUN useradd --system --create-home --home-dir /srv/jobday --uid 10001 jobday
WORKDIR /srv/jobday

# Dependencies first, so a code change does not reinstall them.
COPY setup.cfg pyproject.toml README.md ./
RUN mkdir jobday && touch jobday/__init__.py && pip install . && pip uninstall -y jobday && rm -rf jobday build *.egg-info

COPY --chown=jobday:jobday . .
# Templates and static files sit beside the package, so it is installed in place.
RUN pip install --no-deps -e . \
 && pybabel compile -d jobday/translations >/dev/null \
 && mkdir -p instance && chown jobday:jobday instance

USER jobday
EXPOSE 8000
# instance/ holds config.py if you mount one, and the QR cache (rebuilt when missing). CVs,
# logos and job results are in the database: no shared volume is needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/livez', timeout=4)"
# gunicorn reads gunicorn.conf.py from this folder; the worker service overrides the command.
CMD ["gunicorn"]
