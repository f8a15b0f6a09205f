# The regional KG service (kg serve over the store named by KG_STORE), installed the way
# the README's scripts/bootstrap installs it: Python 3.11 (pyproject's requires-python
# floor), pip, this project in editable mode, without the dev extras. Editable because
# the named queries (queries/) and the bundled sample (sample/) are read from the source
# tree beside the packages, which a wheel of this project does not contain.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 kg \
    && mkdir -p /var/lib/regional-kg/logs /var/lib/regional-kg/dumps \
    && chown -R kg:kg /var/lib/regional-kg

WORKDIR /app
COPY pyproject.toml README.md kg_cli.py ./
COPY kg ./kg
COPY loaders ./loaders
COPY schema ./schema
COPY queries ./queries
COPY sample ./sample
RUN python -m pip install --upgrade pip \
    && python -m pip install -e .

USER kg
ENV KG_SEARCH_INDEX=/var/lib/regional-kg/search.sqlite \
    KG_LOG_DIR=/var/lib/regional-kg/logs \
    KG_DUMP_DIR=/var/lib/regional-kg/dumps
VOLUME ["/var/lib/regional-kg"]
EXPOSE 8000
CMD ["kg", "serve", "--host", "0.0.0.0"]
