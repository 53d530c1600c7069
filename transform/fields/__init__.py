"""Field parsers: what a listing publishes (HTML, place, pay, language, employment type, course
facts) -> typed columns, each a small module with rules of its own."""
