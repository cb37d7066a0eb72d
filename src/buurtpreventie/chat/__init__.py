"""The chat reconstruction: from WhatsApp exports and MAXQDA codes to table 5."""
