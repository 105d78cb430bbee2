"""zielwerk: a city's development concept (SEK) as a living goal system."""
