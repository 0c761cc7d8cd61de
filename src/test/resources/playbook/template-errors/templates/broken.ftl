line one
  value: ${port +}
