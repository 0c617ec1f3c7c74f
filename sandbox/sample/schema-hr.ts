import type { TableDef } from './model.ts';
import { col } from './model.ts';

export const departments: TableDef = {
  schema: 'hr',
  name: 'Departments',
  description: 'Organisational departments of the company; every employee belongs to exactly one.',
  columns: [
    col('DepartmentID', 'int', 'Surrogate key of the department.'),
    col('Name', 'nvarchar(100)', 'Display name of the department, unique.'),
    col('CostCenter', 'char(6)', 'Finance cost-center code the department books against.'),
    col('Location', 'nvarchar(100)', 'Main office or site of the department.'),
    col('AnnualBudget', 'money', 'Approved yearly operating budget in EUR.'),
  ],
  primaryKey: { name: 'PK_Departments', columns: ['DepartmentID'] },
  indexes: [{ name: 'UX_Departments_Name', columns: ['Name'], unique: true }],
};

export const employees: TableDef = {
  schema: 'hr',
  name: 'Employees',
  description: 'Staff of the company, including store, warehouse and support agents; ManagerID forms the reporting hierarchy.',
  columns: [
    col('EmployeeID', 'int', 'Surrogate key of the employee.'),
    col('FirstName', 'nvarchar(50)', 'Given name.'),
    col('LastName', 'nvarchar(50)', 'Family name.'),
    col('Email', 'varchar(120)', 'Work e-mail address.'),
    col('JobTitle', 'nvarchar(100)', 'Current job title.'),
    col('DepartmentID', 'int', 'Department the employee works in.'),
    col('ManagerID', 'int', 'Direct manager (an EmployeeID); NULL for the chief executive.', true),
    col('HireDate', 'date', 'First working day.'),
    col('TerminationDate', 'date', 'Last working day when the employee has left; NULL while employed.', true),
    col('Salary', 'decimal(12,2)', 'Current gross annual salary in EUR.'),
    col('ShiftStart', 'time(0)', 'Usual start of the working day.'),
    col('IsActive', 'bit', '1 while the employee is employed.'),
  ],
  primaryKey: { name: 'PK_Employees', columns: ['EmployeeID'] },
  foreignKeys: [
    {
      name: 'FK_Employees_Departments',
      columns: ['DepartmentID'],
      references: { schema: 'hr', table: 'Departments', columns: ['DepartmentID'] },
    },
    { name: 'FK_Employees_Manager', columns: ['ManagerID'], references: { schema: 'hr', table: 'Employees', columns: ['EmployeeID'] } },
  ],
  indexes: [
    { name: 'IX_Employees_DepartmentID', columns: ['DepartmentID'] },
    { name: 'IX_Employees_ManagerID', columns: ['ManagerID'] },
  ],
};

export const salaryHistory: TableDef = {
  schema: 'hr',
  name: 'SalaryHistory',
  description: 'Every salary an employee has had, one row per change, newest last.',
  columns: [
    col('SalaryHistoryID', 'int', 'Surrogate key of the salary change.'),
    col('EmployeeID', 'int', 'Employee whose salary changed.'),
    col('EffectiveDate', 'date', 'Date from which the salary applies.'),
    col('Salary', 'decimal(12,2)', 'Gross annual salary in EUR from the effective date.'),
    col('ChangeReason', 'nvarchar(200)', 'Why the salary changed (hire, annual review, promotion, …).'),
  ],
  primaryKey: { name: 'PK_SalaryHistory', columns: ['SalaryHistoryID'] },
  foreignKeys: [
    {
      name: 'FK_SalaryHistory_Employees',
      columns: ['EmployeeID'],
      references: { schema: 'hr', table: 'Employees', columns: ['EmployeeID'] },
    },
  ],
  indexes: [{ name: 'IX_SalaryHistory_EmployeeID', columns: ['EmployeeID', 'EffectiveDate'] }],
};
