"""The baseline: the chat consumer the Channels tutorial teaches, served by daphne with
channels_redis, measured by the same load generator in the same run as the project."""
