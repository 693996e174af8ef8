"""English dates as the ministry writes them: day before month, a 24-hour clock (Django's
"en" formats are American: "06/12/2026 5:48 a.m." reads as 6 December in the Netherlands).
Formats not named here are Django's."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
