import pytest
from channels.layers import get_channel_layer
from django.conf import settings


def test_the_channel_layer_is_redis_not_in_memory():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"


@pytest.mark.asyncio
async def test_a_group_message_reaches_a_member_through_redis():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("smoke", channel)
    await layer.group_send("smoke", {"type": "chat.ping", "text": "hello"})
    received = await layer.receive(channel)
    assert received == {"type": "chat.ping", "text": "hello"}
    await layer.group_discard("smoke", channel)
    await layer.flush()


def test_a_shard_at_redis_url_shares_the_services_client_and_so_their_pipelines():
    from chatsite.redis import redis_client, shard_client

    assert settings.CHANNEL_REDIS_URLS == [settings.REDIS_URL]  # the default: one server
    assert shard_client("room.1") is redis_client()
