"""Business rules of the green business network, one module per activity (fairs, green
points, survey, events, media, PSS). Views, the API, commands and demo data all call these."""
