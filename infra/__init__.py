import warnings

import authlib.deprecate  # noqa: F401  -- installs an "always show" filter on import; ours goes after it

# confluent-kafka's registry client imports authlib's httpx integration, which warns on import;
# nothing here uses it, and the warning would open every command's output.
warnings.filterwarnings("ignore", message="The httpx module is deprecated")
