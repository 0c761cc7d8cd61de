a
<#if x>
