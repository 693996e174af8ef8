"""Pure rules of the atlas, no models: profile URLs, places, text, languages, spreadsheets."""
