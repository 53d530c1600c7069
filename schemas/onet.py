"""O*NET reference categories the published facts use."""

from __future__ import annotations

# O*NET Education, Training and Experience, scale RL (required level of education).
EDUCATION_LEVELS = {
    1: "less than high school", 2: "high school", 3: "post-secondary certificate",
    4: "some college", 5: "associate's degree", 6: "bachelor's degree",
    7: "post-baccalaureate certificate", 8: "master's degree",
    9: "post-master's certificate", 10: "first professional degree", 11: "doctoral degree",
    12: "post-doctoral training",
}
