"""Audio decoding: the codecs wearables send, turned into 16 kHz mono PCM16."""
