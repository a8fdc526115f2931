"""Static files as deployed: compressed, with hashed names, and with the browser client's
ES module imports rewritten to those hashed names (so a deploy never mixes an old module
with a new one from a cache)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
