"""Announcements (ประกาศ): hr and admin publish them for units or everyone; employees read the current ones
for them and get one notification each when one is published."""
