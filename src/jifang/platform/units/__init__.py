"""Units (单位) that fall under the rules, their responsible persons and their places."""
