DROP TABLE bookings;
DROP TABLE user_assets;
